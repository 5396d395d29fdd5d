// The generated project built its image archive (Jib, Docker format) and completed its deploy manifests.
import groovy.json.JsonSlurper

File project = new File(basedir, 'project/widget-operator')
File image = new File(project, 'target/jib-image.tar')
assert image.isFile() : "jib:buildTar wrote no ${image}"

// A tar is 512-byte headers (name at 0, octal size at 124), each followed by its padded content.
Map<String, byte[]> entries = [:]
image.withInputStream { input ->
    byte[] header = new byte[512]
    while (input.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = new String(header, 0, 100, 'US-ASCII').replaceAll('\u0000.*', '')
        long size = Long.parseLong(new String(header, 124, 12, 'US-ASCII').replaceAll('[\u0000 ]', '') ?: '0', 8)
        byte[] content = input.readNBytes((int) size)
        input.skipNBytes((512 - size % 512) % 512)
        entries[name] = content
    }
}
def manifest = new JsonSlurper().parse(entries['manifest.json'])
assert manifest[0].RepoTags == ['widget-operator:1.0.0-SNAPSHOT'] : "image name: ${manifest[0].RepoTags}"
def config = new JsonSlurper().parse(entries[manifest[0].Config]).config
assert config.Entrypoint.contains('org.example.it.widgets.OperatorMain') : "entrypoint: ${config.Entrypoint}"
// AppCDS: the image's JVM writes and reads a class-data archive in /tmp (an emptyDir in the Deployment).
assert config.Entrypoint.contains('-XX:+AutoCreateSharedArchive') : "entrypoint: ${config.Entrypoint}"
assert config.Entrypoint.contains('-XX:SharedArchiveFile=/tmp/operator.jsa') : "entrypoint: ${config.Entrypoint}"
assert config.User == '65532'
assert config.ExposedPorts.containsKey('8080/tcp')

['kustomization.yaml', 'operator.yaml', 'rbac/rbac.yaml', 'crds/widgets.widgets.example.org.yaml'].each {
    assert new File(project, "target/deploy/${it}").isFile() : "target/deploy/${it} is missing"
}
assert new File(project, 'target/deploy/operator.yaml').text.contains('image: widget-operator:1.0.0-SNAPSHOT')

// The annotation processors log nowhere: no SLF4J "no providers" lines in the build's output.
assert !new File(project, 'build.log').text.contains('No SLF4J providers') : 'the processor path printed SLF4J warnings'

// What the archetype plugin does not keep by itself: an executable wrapper, a .gitignore.
assert new File(project, 'mvnw').canExecute() : 'mvnw is not executable'
assert new File(project, '.gitignore').isFile() && !new File(project, 'gitignore').exists() : 'no .gitignore'
// Without -Dwebhook=true: no webhook beans, no webhook manifests.
['WidgetDefaulter', 'WidgetValidator'].each {
    assert !new File(project, "src/main/java/org/example/it/widgets/${it}.java").exists() : "${it} without -Dwebhook=true"
}
assert !new File(project, 'target/deploy/webhook.yaml').exists() : 'webhook.yaml without -Dwebhook=true'
assert !new File(project, 'target/deploy/kustomization.yaml').text.contains('webhook.yaml')
// Without -Dconversion=true: no second version (it would be v1 here, apiVersion being v1beta1) and no Converter.
['v1', '__conversionVersion__'].each {
    assert !new File(project, "src/main/java/org/example/it/widgets/${it}").exists() : "${it} without -Dconversion=true"
    assert !new File(project, "src/test/java/org/example/it/widgets/${it}").exists() : "${it} without -Dconversion=true"
}
assert !new File(project, 'target/deploy/crds/widgets.widgets.example.org.yaml').text.contains('conversion:')

// The generated simulation test ran (not skipped: this build's JDK is 25 or newer) and passed.
File simulation = new File(project, 'target/surefire-reports/TEST-org.example.it.widgets.WidgetSimulationTest.xml')
assert simulation.isFile() : 'WidgetSimulationTest did not run'
String suite = (simulation.text =~ /<testsuite [^>]*>/)[0]
assert suite.contains('tests="1"') && suite.contains('skipped="0"') && suite.contains('failures="0"')
        && suite.contains('errors="0"') : "WidgetSimulationTest: ${suite}"
