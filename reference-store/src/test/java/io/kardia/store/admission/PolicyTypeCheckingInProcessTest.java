package io.kardia.store.admission;

/** ValidatingAdmissionPolicy status.typeChecking, through the in-process client. */
class PolicyTypeCheckingInProcessTest extends PolicyTypeCheckingContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.IN_PROCESS;
    }
}
