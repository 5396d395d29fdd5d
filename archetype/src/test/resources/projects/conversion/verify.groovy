// -Dconversion=true (apiVersion and conversionVersion left to their defaults, v1alpha1 and v1beta1):
// the second version, its Converter bean and its test are generated; the CRD serves both versions,
// converted by the operator's webhook through webhook.yaml's Service; GizmoConversionTest (run by
// the build) reads objects written in either version in both, through the store over HTTP.
File project = new File(basedir, 'project/gizmo-operator')
assert new File(project, 'src/main/java/org/example/it/gizmos/v1beta1/Gizmo.java').isFile()
assert new File(project, 'src/main/java/org/example/it/gizmos/v1beta1/GizmoConverter.java').isFile()
File report = new File(project, 'target/surefire-reports/TEST-org.example.it.gizmos.v1beta1.GizmoConversionTest.xml')
assert report.isFile() : "no ${report}"
assert report.text.contains('tests="2"') && report.text.contains('failures="0"') && report.text.contains('errors="0"') : report.text
assert new File(project, 'target/surefire-reports/TEST-org.example.it.gizmos.DeployManifestsTest.xml').isFile()
assert new File(project, 'target/surefire-reports/TEST-org.example.it.gizmos.OperatorEndToEndTest.xml').isFile()
// Without -Dwebhook=true: no admission webhooks, but the webhook server's Service and Certificate.
['GizmoDefaulter', 'GizmoValidator'].each {
    assert !new File(project, "src/main/java/org/example/it/gizmos/${it}.java").exists() : "${it} without -Dwebhook=true"
}
String crd = new File(project, 'target/deploy/crds/gizmos.gizmos.example.org.yaml').text
assert crd.contains('name: v1alpha1') && crd.contains('name: v1beta1') : crd
assert crd.contains('strategy: Webhook') && crd.contains('path: /convert') && crd.contains('name: gizmo-operator-webhook') : crd
assert crd.contains('cert-manager.io/inject-ca-from: gizmo-operator-system/gizmo-operator-serving-cert') : crd
String kustomization = new File(project, 'target/deploy/kustomization.yaml').text
assert kustomization.contains('- webhook.yaml') : kustomization
String webhook = new File(project, 'target/deploy/webhook.yaml').text
assert webhook.contains('kind: Certificate') && webhook.contains('name: gizmo-operator-serving-cert')
assert !webhook.contains('WebhookConfiguration') : 'admission webhook configurations without -Dwebhook=true'
String deployment = new File(project, 'target/deploy/operator.yaml').text
assert deployment.contains('--webhook-port=9443') && deployment.contains('secretName: gizmo-operator-webhook-tls')
