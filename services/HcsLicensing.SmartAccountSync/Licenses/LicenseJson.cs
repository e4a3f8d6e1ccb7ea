using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcsLicensing.SmartAccountSync.Licenses;

/// <summary>How a line's subscriptions are written to their jsonb column, by EF Core and by the bulk copy alike.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<LicenseSubscription>))]
public sealed partial class LicenseJson : JsonSerializerContext
{
    public static string Write(List<LicenseSubscription> subscriptions) => JsonSerializer.Serialize(subscriptions, Default.ListLicenseSubscription);

    public static List<LicenseSubscription> Read(string json) => JsonSerializer.Deserialize(json, Default.ListLicenseSubscription) ?? [];
}
