package io.kardia.store.admission;

/** CRD conversion through the in-process client. */
class ConversionInProcessTest extends ConversionContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.IN_PROCESS;
    }
}
