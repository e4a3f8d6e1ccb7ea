using HcsLicensing.CssmSimulator.OAuth;
using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Seeding;

/// <summary>Fills the store from configuration: smart accounts, their API clients, generated virtual accounts and licenses.</summary>
public static class Seeder
{
    /// <summary>UC licenses an HCS partner holds; each VA gets a few, in turn.</summary>
    private static readonly string[] Catalogue =
    [
        "UC Manager Basic License (12.x)",
        "UC Manager Essential License (12.x)",
        "UC Manager Enhanced License (12.x)",
        "UC Manager Enhanced Plus License (12.x)",
        "UC Manager Telepresence Room License (12.x)",
        "Unity Connection Basic Messaging (12.x)",
        "Unity Connection Enhanced Messaging (12.x)",
        "Emergency Responder User License (12.x)",
    ];

    public static void Seed(CssmStore store, OAuthServer oauth, CssmSimulatorOptions options)
    {
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
                store.AddVirtualAccount(seed.Domain, NewVirtualAccount(seed, i, width));
            }
        }
    }

    /// <summary>The i-th (1-based) virtual account: the first is the default one; satellite and private ones are spread evenly.</summary>
    public static SimVirtualAccount NewVirtualAccount(SmartAccountSeed seed, int i, int width)
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
            virtualAccount.Licenses.Add(NewLicense(i, l));
        }

        return virtualAccount;
    }

    /// <summary>True for a <paramref name="share"/> of the indexes, evenly spread (0.1 marks every tenth).</summary>
    private static bool Marks(int i, double share, double phase) =>
        share > 0 && Math.Floor((i + phase) * share) > Math.Floor((i - 1 + phase) * share);

    private static SimLicense NewLicense(int virtualAccount, int line)
    {
        var quantity = 10 * (1 + ((virtualAccount + line) % 20));
        var inUse = quantity * ((virtualAccount * 7 + line) % 10) / 10;
        var start = new DateOnly(2026, 1, 1).AddDays(virtualAccount % 300);
        return new SimLicense(Catalogue[(virtualAccount + line) % Catalogue.Length], quantity, inUse, "PREPAID", "TERM", start, start.AddYears(3));
    }
}
