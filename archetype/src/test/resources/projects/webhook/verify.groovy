// -Dwebhook=true: the Defaulter and the Validator are generated, served by OperatorMain, and declared in target/deploy
// (DeployManifestsTest, run by the build, compares the two).
File project = new File(basedir, 'project/gadget-operator')
assert new File(project, 'src/main/java/org/example/it/gadgets/GadgetValidator.java').isFile()
assert new File(project, 'target/surefire-reports/TEST-org.example.it.gadgets.DeployManifestsTest.xml').isFile()
assert new File(project, 'target/surefire-reports/TEST-org.example.it.gadgets.GadgetValidatorTest.xml').isFile()
assert new File(project, 'src/main/java/org/example/it/gadgets/GadgetDefaulter.java').isFile()
assert new File(project, 'target/surefire-reports/TEST-org.example.it.gadgets.GadgetDefaulterTest.xml').isFile()
String kustomization = new File(project, 'target/deploy/kustomization.yaml').text
assert kustomization.contains('- webhook.yaml') : kustomization
String webhook = new File(project, 'target/deploy/webhook.yaml').text
assert webhook.contains('kind: ValidatingWebhookConfiguration')
assert webhook.contains('cert-manager.io/inject-ca-from: gadget-operator-system/gadget-operator-serving-cert')
assert webhook.contains('path: /validate-example-com-v1-gadget')
assert webhook.contains('kind: MutatingWebhookConfiguration')
assert webhook.contains('path: /mutate-example-com-v1-gadget')
String deployment = new File(project, 'target/deploy/operator.yaml').text
assert deployment.contains('--webhook-port=9443') && deployment.contains('secretName: gadget-operator-webhook-tls')
// With -Dconversion=true beside it (-DconversionVersion=v2): the Converter is served by the same server.
File conversionReport = new File(project, 'target/surefire-reports/TEST-org.example.it.gadgets.v2.GadgetConversionTest.xml')
assert conversionReport.isFile() : "no ${conversionReport}"
String crd = new File(project, 'target/deploy/crds/gadgets.example.com.yaml').text
assert crd.contains('name: v1') && crd.contains('name: v2') && crd.contains('strategy: Webhook') : crd
