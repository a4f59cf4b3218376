namespace Tollgate.Gateway;
