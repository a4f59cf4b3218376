namespace Tollgate.Emulator;
