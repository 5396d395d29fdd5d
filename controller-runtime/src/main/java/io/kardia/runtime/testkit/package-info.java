/**
 * JUnit 5 test kit: {@link io.kardia.runtime.testkit.KardiaTest} runs each test against a fresh
 * reference store (optionally over HTTP) and closes the managers it started;
 * {@link io.kardia.runtime.testkit.Eventually} waits with failure messages that show the last
 * observed object. Needs {@code kardia-reference-store} and {@code junit-jupiter-api} (both
 * optional dependencies of this module: add them to your test scope).
 */
package io.kardia.runtime.testkit;
