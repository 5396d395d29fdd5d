package io.kardia.runtime.webhook;

import io.kardia.runtime.testkit.KardiaTest;

/** Webhooks with the test kit serving HTTP. */
@KardiaTest(http = true)
class WebhooksHttpTest extends WebhooksContract {
}
