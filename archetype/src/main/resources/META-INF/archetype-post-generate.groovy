// Validates the archetype properties: in batch mode (-B, or every property given with -D) Maven's
// archetype plugin does not apply archetype-metadata.xml's validationRegex, so this script does,
// removes the project just generated from bad input, and fails with a message naming the property.
def props = request.properties
def javaKeywords = ['abstract', 'assert', 'boolean', 'break', 'byte', 'case', 'catch', 'char', 'class', 'const',
        'continue', 'default', 'do', 'double', 'else', 'enum', 'extends', 'final', 'finally', 'float', 'for', 'goto',
        'if', 'implements', 'import', 'instanceof', 'int', 'interface', 'long', 'native', 'new', 'package', 'private',
        'protected', 'public', 'return', 'short', 'static', 'strictfp', 'super', 'switch', 'synchronized', 'this',
        'throw', 'throws', 'transient', 'try', 'void', 'volatile', 'while', 'true', 'false', 'null', '_',
        'record', 'var', 'yield', 'sealed', 'permits'] as Set

def errors = []
def check = { String key, String regex, String expected ->
    String value = props.getProperty(key)
    if (value == null || !(value ==~ regex)) {
        errors << "-D${key}='${value}' is invalid: ${expected}"
    }
}
check('kind', /[A-Z][A-Za-z0-9]{0,62}/,
        'the kind must be an UpperCamelCase Java class name (letters and digits, e.g. Foo or WebSite)')
check('group', /(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+/,
        'the API group must be a lower-case DNS subdomain with at least one dot (e.g. example.com)')
check('apiVersion', /v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?/,
        'the API version must look like v1, v1alpha1 or v2beta3')
check('plural', /[a-z]([-a-z0-9]{0,61}[a-z0-9])?/,
        'the plural must be a lower-case DNS label (a-z, 0-9 and -, e.g. foos)')
String pkg = props.getProperty('package')
if (pkg == null || !(pkg ==~ /[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*/)) {
    errors << "-Dpackage='${pkg}' is invalid: a Java package is lower-case identifiers separated by dots (e.g. com.example.operator)"
} else {
    def reserved = pkg.split('\\.').findAll { javaKeywords.contains(it) }
    if (reserved) {
        errors << "-Dpackage='${pkg}' is invalid: ${reserved.join(', ')} is a reserved Java word"
    }
}
String webhook = props.getProperty('webhook') ?: 'false'
if (!(webhook ==~ /true|false/)) {
    errors << "-Dwebhook='${webhook}' is invalid: it is true or false"
}
String conversion = props.getProperty('conversion') ?: 'false'
if (!(conversion ==~ /true|false/)) {
    errors << "-Dconversion='${conversion}' is invalid: it is true or false"
}
String conversionVersion = props.getProperty('conversionVersion')
if (conversion == 'true') {
    if (conversionVersion == null || !(conversionVersion ==~ /v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?/)) {
        errors << "-DconversionVersion='${conversionVersion}' is invalid: the second API version must look like v1, v1alpha1 or v2beta3"
    } else if (conversionVersion == props.getProperty('apiVersion')) {
        errors << "-DconversionVersion='${conversionVersion}' is invalid: it must differ from -DapiVersion, the version it is converted to and from"
    }
}
String kind = props.getProperty('kind')
if (kind != null && ['Object', 'String', 'Record', 'Override', 'Map', 'List', 'Set', 'Optional', 'Instant', 'Condition',
        'ConfigMap', 'OperatorMain', 'OperatorOptions', 'EmbeddedStoreMain', 'OperatorEndToEndTest', 'DeployManifestsTest',
        'Manager', 'ManagerBuilder', 'Lease', 'Path', 'Stream', 'Spec', 'Status', 'Simulation', 'Explorer', 'Faults',
        'Namespace', 'Duration', 'Objects'].contains(kind)) {
    errors << "-Dkind='${kind}' is invalid: it clashes with a class the generated code uses; choose another name"
}

if (conversion == 'true' && kind in ['Entry', 'Converter']) {
    errors << "-Dkind='${kind}' is invalid with -Dconversion=true: it clashes with a class the conversion code uses; choose another name"
}

if (errors) {
    File generated = new File(request.outputDirectory, request.artifactId)
    if (generated.isDirectory()) {
        generated.deleteDir()
    }
    throw new IllegalArgumentException('Cannot generate the Kardia operator: ' + errors.join('; '))
}

File project = new File(request.outputDirectory, request.artifactId)
String packagePath = pkg.replace('.', '/')
// -Dwebhook=true keeps the admission webhooks (the Defaulter and Validator beans, their tests); otherwise they are removed.
if (webhook != 'true') {
    new File(project, "src/main/java/${packagePath}/${kind}Validator.java").delete()
    new File(project, "src/test/java/${packagePath}/${kind}ValidatorTest.java").delete()
    new File(project, "src/main/java/${packagePath}/${kind}Defaulter.java").delete()
    new File(project, "src/test/java/${packagePath}/${kind}DefaulterTest.java").delete()
}
// -Dconversion=true keeps the second version of the custom resource, its Converter bean and its test (in a package named after the version).
if (conversion != 'true') {
    [conversionVersion, '__conversionVersion__'].findAll { it != null }.each { dir ->
        new File(project, "src/main/java/${packagePath}/${dir}").deleteDir()
        new File(project, "src/test/java/${packagePath}/${dir}").deleteDir()
    }
}
// The webhook server's Service and certificate serve admission and conversion webhooks alike.
if (webhook != 'true' && conversion != 'true') {
    new File(project, 'src/main/deploy/webhook.yaml').delete()
}

// The archetype plugin does not keep file modes: make the Maven wrapper executable again.
new File(project, 'mvnw').setExecutable(true, false)
// Shipped as 'gitignore' (resource copying drops .gitignore files).
new File(project, 'gitignore').renameTo(new File(project, '.gitignore'))
