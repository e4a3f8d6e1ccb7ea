using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HcsLicensing.JobTracker.Data;

/// <summary>Lets dotnet-ef build the model (migrations add, script) without starting the service or reaching a database.</summary>
public sealed class DesignTimeJobTrackerDbContextFactory : IDesignTimeDbContextFactory<JobTrackerDbContext>
{
    public JobTrackerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<JobTrackerDbContext>()
            .UseNpgsql("Host=localhost;Port=5432;Database=hcs_jobtracker;Username=postgres")
            .Options);
}
