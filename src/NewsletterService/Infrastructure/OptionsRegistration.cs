using Microsoft.Extensions.Options;

namespace NewsletterService.Infrastructure;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to its section, validates its annotations and fails start-up when they do not hold.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Reads a section while the host is still being built (for choices that shape the service graph).</summary>
    public static T Read<T>(this IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();
}
