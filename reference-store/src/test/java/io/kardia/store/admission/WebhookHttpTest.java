package io.kardia.store.admission;

/** Admission webhooks over HTTP. */
class WebhookHttpTest extends WebhookContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.HTTP;
    }
}
