using MS2GAN.Features.Tests.Onnx;

namespace MS2GAN.Features.Tests;

/// <summary>
/// The test assembly's entry point (instead of the one the test SDK generates): the test host never calls it,
/// and a test starts it in a child process to observe a real start's output (<see cref="SessionStart"/>).
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => args is [SessionStart.Verb] ? SessionStart.Run() : 2;
}
