package io.kardia.store.admission;

/** Admission webhooks through the in-process client. */
class WebhookInProcessTest extends WebhookContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.IN_PROCESS;
    }
}
