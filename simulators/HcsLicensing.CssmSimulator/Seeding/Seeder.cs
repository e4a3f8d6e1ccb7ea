using HcsLicensing.CssmSimulator.OAuth;
using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Seeding;

/// <summary>Fills the store from configuration: smart accounts, their API clients, generated virtual accounts and licenses.</summary>
public static class Seeder
{
    /// <summary>
    /// UC licenses an HCS partner holds. Every VA gets the first few in this order: the licenses a registered CUCM,
    /// Unity Connection and Emergency Responder consume by default (<see cref="CssmSimulatorOptions.ProductLicenses"/>) first.
    /// </summary>
    private static readonly string[] Catalogue =
    [
        "UC Manager Enhanced License (12.x)",
        "Unity Connection Enhanced Messaging (12.x)",
        "Emergency Responder User License (12.x)",
        "Contact Center Express Premium Seat (12.x)",
        "Expressway Rich Media Session (X12)",
        "UC Manager Basic License (12.x)",
        "UC Manager Essential License (12.x)",
        "UC Manager Enhanced Plus License (12.x)",
        "UC Manager Telepresence Room License (12.x)",
        "Unity Connection Basic Messaging (12.x)",
    ];

    public static void Seed(CssmStore store, OAuthServer oauth, CssmSimulatorOptions options)
    {
        store.Consumption = new LicenseConsumption(
            new Dictionary<string, string>(options.ProductLicenses, StringComparer.OrdinalIgnoreCase), options.LicensesPerRegistration);
        var today = DateOnly.FromDateTime(store.Clock.GetUtcNow().UtcDateTime);
        foreach (var seed in options.SmartAccounts)
        {
            store.AddSmartAccount(seed.Domain, seed.Name, seed.AccountType);
            foreach (var client in seed.Clients)
            {
                oauth.AddClient(client.ClientId, client.ClientSecret, seed.Domain);
            }

            var width = Math.Max(4, seed.VirtualAccounts.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            for (var i = 1; i <= seed.VirtualAccounts; i++)
            {
                store.AddVirtualAccount(seed.Domain, NewVirtualAccount(seed, i, width, today));
            }
        }
    }

    /// <summary>The i-th (1-based) virtual account: the first is the default one; satellite and private ones are spread evenly.</summary>
    public static SimVirtualAccount NewVirtualAccount(SmartAccountSeed seed, int i, int width, DateOnly today)
    {
        var number = i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
        var virtualAccount = new SimVirtualAccount(
            $"{seed.VirtualAccountPrefix}-{number}",
            $"HCS customer {number} of {seed.Name}",
            isDefault: i == 1,
            commerceAccessLevel: Marks(i, seed.PrivateShare, phase: 0.5) ? "PRIVATE" : "PUBLIC",
            satelliteSynced: i > 1 && Marks(i, seed.SatelliteShare, phase: 0));
        for (var l = 0; l < seed.LicensesPerVirtualAccount; l++)
        {
            virtualAccount.Licenses.Add(NewLicense(i, l, today));
        }

        return virtualAccount;
    }

    /// <summary>True for a <paramref name="share"/> of the indexes, evenly spread (0.1 marks every tenth).</summary>
    private static bool Marks(int i, double share, double phase) =>
        share > 0 && Math.Floor((i + phase) * share) > Math.Floor((i - 1 + phase) * share);

    /// <summary>
    /// The l-th license of the i-th VA, dated from <paramref name="today"/> so that the report always has something to
    /// show: every tenth VA from the third (0003, 0013, ...) uses more of its second license than it bought ("Insufficient
    /// Licenses"); every fifth from the second (0002, 0007, ...) has a second subscription of its first license ending
    /// within 90 days; the third license is perpetual (no dates, no subscription id, as CSSM sends it).
    /// </summary>
    private static SimLicense NewLicense(int i, int l, DateOnly today)
    {
        var quantity = 10 * (1 + ((i + l) % 20));
        var inUse = i % 10 == 3 && l == 1 ? quantity + 5 : quantity * ((i * 7 + l) % 10) / 10;
        var start = today.AddDays(-(i % 300));
        List<SimSubscription> subscriptions = l == 2
            ? [new SimSubscription("PERPETUAL", quantity, null, null, null)]
            : [new SimSubscription("TERM", quantity, start, start.AddYears(3), SubscriptionId(i, l, 0))];
        if (i % 5 == 2 && l == 0)
        {
            var end = today.AddDays(5 + (i * 13 % 85));
            subscriptions.Add(new SimSubscription("TERM", 10, end.AddYears(-1), end, SubscriptionId(i, l, 1)));
        }

        return new SimLicense(Catalogue[l % Catalogue.Length], l == 4 ? "USAGE" : "PREPAID", inUse, Reserved: 0, PendingQuantity: 0, subscriptions);
    }

    /// <summary>Cisco's subscription ids look like Sub208966.</summary>
    private static string SubscriptionId(int i, int l, int n) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Sub{(i * 100) + (l * 10) + n:D6}");
}
