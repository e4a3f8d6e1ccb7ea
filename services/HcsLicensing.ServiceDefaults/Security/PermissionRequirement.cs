using Microsoft.AspNetCore.Authorization;

namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>The caller must hold <see cref="Permission"/> as a scope or a role (see <see cref="HcsPermissions"/>).</summary>
public sealed class PermissionRequirement(string permission) : AuthorizationHandler<PermissionRequirement>, IAuthorizationRequirement
{
    public string Permission { get; } = permission;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (CallerIdentity.Permissions(context.User).Contains(requirement.Permission))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
