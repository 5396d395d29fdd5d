// The generation failed with a message naming the bad property, and left no half-made project.
String log = new File(basedir, 'build.log').text
assert log.contains("-Dpackage='com.acme.int' is invalid: int is a reserved Java word") : 'expected the error naming the bad property in build.log'
assert !new File(basedir, 'bad-operator').exists() : 'a project was left behind by a failed generation'
