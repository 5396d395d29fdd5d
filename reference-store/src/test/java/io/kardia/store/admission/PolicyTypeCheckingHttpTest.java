package io.kardia.store.admission;

/** ValidatingAdmissionPolicy status.typeChecking, over HTTP. */
class PolicyTypeCheckingHttpTest extends PolicyTypeCheckingContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.HTTP;
    }
}
