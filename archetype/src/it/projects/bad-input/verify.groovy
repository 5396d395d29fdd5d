// The generation failed with a message naming each bad property, and left no half-made project.
String log = new File(basedir, 'build.log').text
[
    "-Dkind='foo' is invalid: the kind must be an UpperCamelCase Java class name",
    "-Dplural='Foo_s' is invalid: the plural must be a lower-case DNS label",
    "-Dpackage='com.acme.int' is invalid: int is a reserved Java word",
    "-Dwebhook='maybe' is invalid: it is true or false",
    "-DconversionVersion='v2' is invalid: it must differ from -DapiVersion",
].each { assert log.contains(it) : "expected the error naming the bad property in build.log: ${it}" }
assert !new File(basedir, 'bad-operator').exists() : 'a project was left behind by a failed generation'
