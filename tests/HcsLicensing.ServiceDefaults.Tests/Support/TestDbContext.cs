using HcsLicensing.ServiceDefaults.Sagas;
using HcsLicensing.ServiceDefaults.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Tests.Support;

/// <summary>A service database as the suite's services have one: saga instances and the scheduler's table.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.MapSaga<CounterState>("counters").Property(counter => counter.CurrentState).HasMaxLength(64);
        modelBuilder.MapScheduledMessages();
    }
}
