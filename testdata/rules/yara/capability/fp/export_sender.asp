<!--#include virtual="/inc/session_check.asp"-->
<%
Dim id, st, path
id = CLng(Request.QueryString("id"))
path = Server.MapPath("/App_Data/exports/report_" & id & ".csv")
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 1
st.Open
st.LoadFromFile path
Response.ContentType = "text/csv"
Response.AddHeader "Content-Disposition", "attachment; filename=report_" & id & ".csv"
Response.BinaryWrite st.Read
st.Close
%>
