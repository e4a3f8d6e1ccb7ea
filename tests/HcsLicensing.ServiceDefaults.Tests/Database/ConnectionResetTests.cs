using HcsLicensing.ServiceDefaults.Database;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Tests.Database;

/// <summary>The services' pooled connections go back without DISCARD ALL, unless the connection string asks for it.</summary>
public class ConnectionResetTests
{
    [Test]
    public void A_connection_string_that_says_nothing_skips_the_reset()
    {
        var settings = new NpgsqlConnectionStringBuilder(DatabaseExtensions.WithoutResetOnClose("Host=db;Database=hcs_chpa;Username=chpa"));

        Assert.Multiple(() =>
        {
            Assert.That(settings.NoResetOnClose, Is.True);
            Assert.That((settings.Host, settings.Database, settings.Username), Is.EqualTo(("db", "hcs_chpa", "chpa")));
        });
    }

    [Test]
    public void A_connection_string_that_asks_for_the_reset_keeps_it()
    {
        var settings = new NpgsqlConnectionStringBuilder(DatabaseExtensions.WithoutResetOnClose("Host=db;No Reset On Close=false"));

        Assert.That(settings.NoResetOnClose, Is.False);
    }
}
