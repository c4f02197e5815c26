using MS2GAN.ServiceDefaults;
using MS2GAN.Trainer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("trainer");
builder.AddTrainerService();
builder.Services.AddMs2GanMessaging(builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();
app.MapTrainerEndpoints();
app.Run();
