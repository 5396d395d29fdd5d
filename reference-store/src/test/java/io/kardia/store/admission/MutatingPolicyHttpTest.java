package io.kardia.store.admission;

/** MutatingAdmissionPolicy over HTTP. */
class MutatingPolicyHttpTest extends MutatingPolicyContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.HTTP;
    }
}
