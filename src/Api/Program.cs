var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "mirage-ecs\n");
await app.RunAsync();
