package io.kardia.store.admission;

/** ValidatingAdmissionPolicy through the in-process client. */
class ValidatingPolicyInProcessTest extends ValidatingPolicyContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.IN_PROCESS;
    }
}
