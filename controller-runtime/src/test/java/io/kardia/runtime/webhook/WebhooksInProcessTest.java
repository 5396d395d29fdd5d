package io.kardia.runtime.webhook;

import io.kardia.runtime.testkit.KardiaTest;

/** Webhooks with the test kit's in-process client. */
@KardiaTest
class WebhooksInProcessTest extends WebhooksContract {
}
