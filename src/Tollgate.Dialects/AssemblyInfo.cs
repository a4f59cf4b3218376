namespace Tollgate.Dialects;
