/** core/v1 Event recording with aggregation of repeats and per-object rate limits. */
package io.kardia.runtime.event;
