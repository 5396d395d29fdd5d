// The generation failed with a message naming the bad property, and left no half-made project.
String log = new File(basedir, 'build.log').text
assert log.contains("-Dplural='Foo_s' is invalid: the plural must be a lower-case DNS label") : 'expected the error naming the bad property in build.log'
assert !new File(basedir, 'bad-operator').exists() : 'a project was left behind by a failed generation'
