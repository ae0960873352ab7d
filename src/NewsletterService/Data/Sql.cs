using System.Data.Common;

namespace NewsletterService.Data;

/// <summary>
/// The little ADO.NET the hot paths use beside EF Core (the ledger's group commits, the shared send-rate counts):
/// commands with named parameters, built once and run with new values.
/// </summary>
public static class Sql
{
    public static DbCommand Command(
        this DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a command built earlier in <paramref name="tx"/>, with its parameters' values in the order they were named.</summary>
    public static Task<int> RunAsync(this DbCommand command, DbTransaction? tx, params object?[] values)
    {
        command.Transaction = tx;
        command.Bind(values);
        return command.ExecuteNonQueryAsync();
    }

    /// <summary>Sets a command's parameters' values, in the order they were named.</summary>
    public static DbCommand Bind(this DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }
}
