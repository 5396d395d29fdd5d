package io.kardia.store.admission;

/** CRD conversion over HTTP. */
class ConversionHttpTest extends ConversionContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.HTTP;
    }
}
