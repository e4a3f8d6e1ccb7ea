using HcsLicensing.ServiceDefaults.Database;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Tests.Database;

/// <summary>
/// The services' pooled connections go back without DISCARD ALL and prepare their most used statements, unless the
/// connection string says otherwise.
/// </summary>
public class PooledConnectionSettingsTests
{
    [Test]
    public void A_connection_string_that_says_nothing_skips_the_reset_and_prepares_statements()
    {
        var settings = new NpgsqlConnectionStringBuilder(DatabaseExtensions.PooledConnectionSettings("Host=db;Database=hcs_chpa;Username=chpa"));

        Assert.Multiple(() =>
        {
            Assert.That(settings.NoResetOnClose, Is.True);
            Assert.That(settings.MaxAutoPrepare, Is.EqualTo(DatabaseExtensions.AutoPreparedStatements));
            Assert.That((settings.Host, settings.Database, settings.Username), Is.EqualTo(("db", "hcs_chpa", "chpa")));
        });
    }

    [Test]
    public void A_connection_string_that_asks_for_the_reset_or_no_prepared_statements_keeps_it()
    {
        var settings = new NpgsqlConnectionStringBuilder(DatabaseExtensions.PooledConnectionSettings("Host=db;No Reset On Close=false;Max Auto Prepare=0"));

        Assert.Multiple(() =>
        {
            Assert.That(settings.NoResetOnClose, Is.False);
            Assert.That(settings.MaxAutoPrepare, Is.Zero);
        });
    }
}
