using HcsLicensing.ServiceDefaults.Sagas;
using HcsLicensing.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Tests.Support;

/// <summary>A service database as the suite's services have one: saga instances, a table of its own (notes) and the outbox and inbox.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.MapSaga<CounterState>("counters").Property(counter => counter.CurrentState).HasMaxLength(64);
        modelBuilder.Entity<Note>(note =>
        {
            note.ToTable("notes");
            note.HasKey(n => n.Id);
        });
        modelBuilder.MapTransactionalOutbox();
    }
}

/// <summary>A row a test consumer writes: the state change the outbox must commit, or roll back, with its messages.</summary>
public sealed class Note
{
    public Guid Id { get; set; }

    public string Text { get; set; } = "";
}
