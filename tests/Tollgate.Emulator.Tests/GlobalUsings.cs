global using System.Net;
global using System.Text.Json.Nodes;
global using Tollgate.Emulator.Tests.Infrastructure;
