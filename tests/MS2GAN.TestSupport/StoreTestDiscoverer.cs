using Xunit.Abstractions;
using Xunit.Sdk;

namespace MS2GAN.TestSupport;

/// <summary>
/// Discovers <see cref="StoreFactAttribute"/> and <see cref="StoreTheoryAttribute"/> tests: as plain facts and
/// theories, or as one skipped test each when the concrete class needs an environment variable that is unset.
/// </summary>
public sealed class StoreTestDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _facts = new(diagnosticMessageSink);
    private readonly TheoryDiscoverer _theories = new(diagnosticMessageSink);

    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var needs = testMethod.TestClass.Class.GetCustomAttributes(typeof(NeedsEnvironmentVariableAttribute)).FirstOrDefault();
        if (needs is not null)
        {
            var arguments = needs.GetConstructorArguments().Cast<string>().ToArray();
            if (NeedsEnvironmentVariableAttribute.Value(arguments[0]) is null)
            {
                return
                [
                    new SkippedTestCase(
                        diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                        testMethod, $"needs {arguments[0]}: {arguments[1]}"),
                ];
            }
        }

        return factAttribute is IReflectionAttributeInfo { Attribute: Xunit.TheoryAttribute }
            ? _theories.Discover(discoveryOptions, testMethod, factAttribute)
            : _facts.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
