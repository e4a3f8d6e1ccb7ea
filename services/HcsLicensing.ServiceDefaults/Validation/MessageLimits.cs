using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using MassTransit;

namespace HcsLicensing.ServiceDefaults.Validation;

/// <summary>
/// Refuses a contract message (namespace HcsLicensing.Contracts) whose string is longer than its field's limit
/// (<see cref="InputLimits"/>) or whose enum holds a number that names no value, before any consumer or saga sees
/// it. The broker is the trust boundary (docs/security.md): whoever may publish can send anything, so every message
/// is checked as an HTTP body would be. The refusal is a <see cref="InvalidMessageException"/>, a JsonException:
/// the retry policy does not retry it and the message lands in the endpoint's _error queue with the reason
/// (field and rule, never the value) in its MT-Fault-Message header; nothing else happens.
/// </summary>
public sealed class MessageLimitsFilter<T> : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (MessageRules.Problem(context.Message) is { } problem)
        {
            throw new InvalidMessageException($"{typeof(T).Name} refused: {problem}");
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("messageLimits");
}

/// <summary>A message that is well-formed JSON but not a valid message; never retried.</summary>
public sealed class InvalidMessageException(string message) : JsonException(message);

/// <summary>The checks of <see cref="MessageLimitsFilter{T}"/>, by reflection over the message's public properties (cached per type).</summary>
public static class MessageRules
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>
    /// "clusterName: longer than 64 characters", or null when the message keeps every rule. A contract message nested in
    /// another (a JobProgressed's steps) keeps the same rules, and its field is named by its path ("steps[1].status").
    /// </summary>
    public static string? Problem(object message) => Problem(message, "");

    private static string? Problem(object message, string path)
    {
        if (!IsContract(message.GetType()))
        {
            return null;
        }

        foreach (var property in Properties.GetOrAdd(message.GetType(), t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)))
        {
            var value = property.GetValue(message);
            var field = path + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var problem = value switch
            {
                string text when text.Length > InputLimits.For(property.Name) => $"{field}: longer than {InputLimits.For(property.Name)} characters",
                Enum enumValue when !Enum.IsDefined(enumValue.GetType(), enumValue) => $"{field}: not one of {string.Join(", ", Enum.GetNames(enumValue.GetType()))}",
                IEnumerable items and not string => ItemsProblem(items, field, InputLimits.For(property.Name)),
                not null when IsContract(value.GetType()) => Problem(value, field + "."),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? ItemsProblem(IEnumerable items, string field, int limit)
    {
        var index = 0;
        foreach (var item in items)
        {
            var problem = item switch
            {
                null => $"{field}: holds an empty entry",
                string entry when entry.Length > limit => $"{field}: an entry is longer than {limit} characters",
                _ => Problem(item, $"{field}[{index}]."),
            };
            if (problem is not null)
            {
                return problem;
            }

            index++;
        }

        return null;
    }

    private static bool IsContract(Type type) => type.Namespace?.StartsWith("HcsLicensing.Contracts", StringComparison.Ordinal) == true;
}

/// <summary>Adds <see cref="MessageLimitsFilter{T}"/> to every receive endpoint of a service's bus.</summary>
public static class MessageLimitsExtensions
{
    public static IBusRegistrationConfigurator AddMessageLimits(this IBusRegistrationConfigurator bus)
    {
        bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseConsumeFilter(typeof(MessageLimitsFilter<>), context));
        return bus;
    }
}
