using Mirage.Api.Hosting;

return await MirageProgram.RunAsync(args, Environment.GetEnvironmentVariable, CancellationToken.None);
