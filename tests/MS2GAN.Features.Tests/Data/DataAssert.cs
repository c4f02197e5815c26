using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

internal static class DataAssert
{
    /// <summary>Asserts that <paramref name="action"/> fails for the file <paramref name="path"/> with a problem mentioning <paramref name="problemPart"/>.</summary>
    public static DataFormatException Fails(string path, string problemPart, Action action)
    {
        var exception = Assert.Throws<DataFormatException>(action);
        Assert.Equal(path, exception.Path);
        Assert.Contains(problemPart, exception.Problem, StringComparison.Ordinal);
        Assert.Equal($"{path}: {exception.Problem}", exception.Message);
        return exception;
    }
}
