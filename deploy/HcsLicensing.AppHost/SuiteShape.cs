using System.Globalization;

namespace HcsLicensing.AppHost;

/// <summary>
/// How many of each the suite runs: `--replicas N` processes of each of the four services (behind one address each,
/// the orchestrator's proxy spreading requests over them) and `--rabbitmq-nodes N` clustered RabbitMQ nodes. One and
/// one by default, for a demo; `--replicas 3 --rabbitmq-nodes 3` is a deployment's shape on this machine.
/// </summary>
public sealed record SuiteShape(int Replicas, int RabbitMqNodes)
{
    private const int Most = 5;

    /// <summary>Reads --replicas and --rabbitmq-nodes; throws ArgumentException naming the option and the reason.</summary>
    public static SuiteShape From(IConfiguration configuration) =>
        new(Count(configuration, "replicas"), Count(configuration, "rabbitmq-nodes"));

    private static int Count(IConfiguration configuration, string option)
    {
        var text = configuration[option];
        if (text is null)
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= Most
            ? count
            : throw new ArgumentException($"--{option} must be a whole number from 1 to {Most.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
    }
}
