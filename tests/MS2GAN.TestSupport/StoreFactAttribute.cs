using Xunit;
using Xunit.Sdk;

namespace MS2GAN.TestSupport;

/// <summary>
/// A fact of a shared suite that runs in every concrete class, skipped (with the reason) in a class marked
/// <see cref="NeedsEnvironmentVariableAttribute"/> whose variable is unset. Attributes cannot see the class
/// that inherits a test, so the check happens in the discoverer, which can.
/// </summary>
[XunitTestCaseDiscoverer("MS2GAN.TestSupport.StoreTestDiscoverer", "MS2GAN.TestSupport")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;
