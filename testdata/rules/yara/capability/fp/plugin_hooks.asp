<!--#include file="function/c_system_lib.asp"-->
<%
For Each hook In Action_Plugin_Page_Begin
  If Not IsEmpty(hook) Then Call Execute(hook)
Next
Dim act
act = Request.QueryString("act")
Select Case act
  Case "list" : Call ShowList(Request.QueryString("page"))
  Case Else : Call ShowHome()
End Select
%>
