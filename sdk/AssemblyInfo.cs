using System.Runtime.CompilerServices;

// The host builds databases and environments; its tests and benchmarks reach them the same way.
[assembly: InternalsVisibleTo("host")]
