using HcsLicensing.ServiceDefaults.Sagas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace HcsLicensing.ServiceDefaults.Database;

/// <summary>The suite's column naming: snake_case (cluster_name), as the scheduler's table and psql users expect.</summary>
public static class SnakeCaseColumns
{
    /// <summary>Names every column of <paramref name="entity"/> in snake_case; a saga's RowVersion keeps PostgreSQL's xmin.</summary>
    public static void UseSnakeCaseColumns(this IMutableEntityType entity)
    {
        foreach (var property in entity.GetProperties().Where(p => p.Name != SagaPersistenceExtensions.RowVersion))
        {
            property.SetColumnName(ToSnakeCase(property.Name));
        }
    }

    public static string ToSnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
