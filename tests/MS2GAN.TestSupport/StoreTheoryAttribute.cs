using Xunit;
using Xunit.Sdk;

namespace MS2GAN.TestSupport;

/// <summary>A theory of a shared suite; see <see cref="StoreFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("MS2GAN.TestSupport.StoreTestDiscoverer", "MS2GAN.TestSupport")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreTheoryAttribute : TheoryAttribute;
