using System.Text.Json;
using Xunit;

namespace MS2GAN.TestSupport;

/// <summary>Assertions on the ProblemDetails answers of the HTTP APIs, for tests that accept any client error.</summary>
public static class ProblemAssert
{
    /// <summary>
    /// Asserts <paramref name="response"/> is a 4xx ProblemDetails with a title that says what is wrong and an
    /// <c>errors</c> object naming fields, a <c>field</c>, or a <c>detail</c>.
    /// </summary>
    public static void IsClientError(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"answered {status}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(Text(problem, "title")), $"no title: {body}");
        if (problem.TryGetProperty("errors", out var errors))
        {
            NamesFieldsWithMessages(errors);
        }
        else if (problem.TryGetProperty("field", out var field))
        {
            Assert.False(string.IsNullOrWhiteSpace(field.GetString()), $"an empty field: {body}");
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(Text(problem, "detail")), $"neither errors, a field nor a detail: {body}");
        }
    }

    /// <summary>Asserts a validation <c>errors</c> object names at least one field, each with non-empty messages.</summary>
    public static void NamesFieldsWithMessages(JsonElement errors)
    {
        var fields = errors.EnumerateObject().ToList();
        Assert.True(fields.Count > 0, $"no field named: {errors}");
        Assert.All(fields, field =>
        {
            Assert.False(string.IsNullOrWhiteSpace(field.Name), $"an empty field name: {errors}");
            Assert.All(field.Value.EnumerateArray(), message => Assert.False(string.IsNullOrWhiteSpace(message.GetString()), $"an empty message: {errors}"));
        });
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
