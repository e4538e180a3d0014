"""Fails at import the way GraalPy refuses a native module that another context of the JVM loaded.

Raised here rather than provoked: a GraalPy context without python.IsolateNativeModules would
make every later context of the test JVM fail the same way.
"""

raise SystemError(
    "Option python.IsolateNativeModules is set to 'false' and a second GraalPy context attempted to "
    "load a native module 'termios' from path '/graalpy/modules/termios.graalpy250-312-native-x86_64-linux.so'. "
    "At least one context in this process runs with 'IsolateNativeModules' set to false."
)
