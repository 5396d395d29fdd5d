package io.kardia.store.admission;

/** Hostile mutations over HTTP. */
class HostileMutationHttpTest extends HostileMutationContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.HTTP;
    }
}
