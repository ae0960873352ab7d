namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// For tests that need a program from outside .NET (SpamAssassin, PostgreSQL, Chromium): on a developer machine
/// without it the test is reported as skipped with the install command; in CI (<c>CI=true</c>, where .ci/run installs
/// it) a missing program fails the test instead.
/// </summary>
public static class Requires
{
    public static string Program(string name, string install)
    {
        var found = Environment.GetEnvironmentVariable("PATH")!.Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        That(found is not null, $"'{name}' is not installed: {install}");
        return found!;
    }

    /// <summary>Skips the test (outside CI) or fails it (in CI) with <paramref name="message"/> unless <paramref name="met"/>.</summary>
    public static void That(bool met, string message)
    {
        if (met) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(message);
        Skip.If(true, message);
    }
}
