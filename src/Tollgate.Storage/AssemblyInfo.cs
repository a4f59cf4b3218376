namespace Tollgate.Storage;
