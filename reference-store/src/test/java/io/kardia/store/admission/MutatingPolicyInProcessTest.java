package io.kardia.store.admission;

/** MutatingAdmissionPolicy through the in-process client. */
class MutatingPolicyInProcessTest extends MutatingPolicyContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.IN_PROCESS;
    }
}
