package io.kardia.store.admission;

/** Hostile mutations through the in-process client. */
class HostileMutationInProcessTest extends HostileMutationContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.IN_PROCESS;
    }
}
